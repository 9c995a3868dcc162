package org.cemiface.jobs.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The scheduler examples in deploy/schedules/ parse for their tools (YAML by SnakeYAML, the Airflow
 * DAG by Python's compiler, the crontab line by its fields) and fire the run command.
 */
class SchedulerExamplesTest {
  private static final Path DIR =
      Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/schedules");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String name) throws Exception {
    return new Yaml().load(Files.readString(DIR.resolve(name)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void kubernetesManifestsAreCronJobsOfTheRunCommand() throws Exception {
    Map<String, Object> cron = yaml("cronjob.yaml");
    assertEquals("batch/v1", cron.get("apiVersion"));
    assertEquals("CronJob", cron.get("kind"));
    Map<String, Object> spec = map(cron.get("spec"));
    assertEquals("0 3 * * *", spec.get("schedule"));
    assertEquals("Forbid", spec.get("concurrencyPolicy"));
    Map<String, Object> pod =
        map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec"));
    String args =
        String.valueOf(
            ((List<Object>) (List<?>) map(((List<?>) pod.get("containers")).get(0)).get("args")));
    assertTrue(args.contains("run --family nightly") && args.contains("--scheduled"), args);

    Map<String, Object> operator = yaml("scheduled-spark-application.yaml");
    assertEquals("ScheduledSparkApplication", operator.get("kind"));
    Map<String, Object> template = map(map(operator.get("spec")).get("template"));
    assertEquals("org.cemiface.cli.Main", template.get("mainClass"));
    assertEquals(
        List.of("run", "--family", "nightly"), ((List<?>) template.get("arguments")).subList(0, 3));
  }

  @Test
  void crontabLineHasFiveScheduleFieldsAndEscapedPercents() throws Exception {
    String line =
        Files.readAllLines(DIR.resolve("crontab")).stream()
            .filter(l -> !l.startsWith("#") && !l.isBlank() && !l.contains("="))
            .findFirst()
            .orElseThrow();
    String[] fields = line.trim().split("\\s+", 7);
    assertEquals(List.of("0", "3", "*", "*", "*"), List.of(fields).subList(0, 5));
    // cron turns an unescaped % into a newline.
    assertTrue(line.replace("\\%", "").indexOf('%') < 0, line);
    assertTrue(line.contains("cemiface-submit.sh run --family nightly"), line);
  }

  @Test
  void airflowDagCompiles() throws Exception {
    File python = new File("/usr/bin/python3");
    Assumptions.assumeTrue(python.canExecute(), "no python3 to compile the DAG with");
    Process p =
        new ProcessBuilder(
                python.getPath(),
                "-c",
                "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                DIR.resolve("airflow_dag.py").toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    String dag = Files.readString(DIR.resolve("airflow_dag.py"));
    assertTrue(dag.contains("\"run\",") && dag.contains("\"--family\", \"nightly\""), dag);
  }
}
