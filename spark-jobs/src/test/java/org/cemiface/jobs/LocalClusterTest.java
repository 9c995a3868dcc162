package org.cemiface.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's local-cluster master (a real worker launching executor JVMs): GPU assignment per task
 * through the project's discovery script, and the generate job running in executors.
 */
public class LocalClusterTest {
  @TempDir static Path dir;

  @BeforeAll
  public static void sparkHome() throws Exception {
    // The worker resolves SPARK_HOME (set by the build, see spark-jobs/pom.xml) and needs a jars/
    // folder there.
    String home = System.getenv("SPARK_HOME");
    assertTrue(
        home != null,
        "SPARK_HOME must be set for local-cluster tests (spark-jobs/pom.xml sets it)");
    Files.createDirectories(Path.of(home, "jars"));
  }

  /** Overrides for a one-worker, two-core local cluster whose executors see the test classpath. */
  public static List<String> clusterConf(String... extra) {
    List<String> o =
        new ArrayList<>(
            List.of(
                "spark.master=local-cluster[1,2,1024]",
                "spark.conf={\"spark.executor.extraClassPath\"=\""
                    + System.getProperty("java.class.path")
                    + "\", "
                    + "\"spark.executor.cores\"=2, \"spark.executor.memory\"=\"1g\", "
                    + "\"spark.executor.extraJavaOptions\"=\"-Dai.djl.offline=true\""
                    + String.join("", extra)
                    + "}"));
    return o;
  }

  @Test
  void concurrentTasksGetDistinctGpusAndBuildTheirDeviceFromThem() throws Exception {
    Path script = dir.resolve("two-gpus.sh");
    Path discovery =
        Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/gpu-discovery.sh");
    Files.writeString(script, "#!/bin/sh\nCUDA_VISIBLE_DEVICES=0,1 exec " + discovery + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    LoadedConfig c =
        ConfigLoader.load(
            List.of(),
            clusterConf(
                ", \"spark.worker.resource.gpu.amount\"=2, \"spark.worker.resource.gpu.discoveryScript\"=\""
                    + script
                    + "\""
                    + ", \"spark.executor.resource.gpu.amount\"=2, \"spark.task.resource.gpu.amount\"=1"));
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      List<String> rows =
          spark.range(0, 4, 1, 4).mapPartitions(new GpuProbe(), Encoders.STRING()).collectAsList();
      assertEquals(4, rows.size());
      List<String[]> tasks = rows.stream().map(r -> r.split(",")).toList();
      for (String[] t : tasks) {
        assertTrue(Set.of("0", "1").contains(t[1]), "GPU address " + t[1]);
        assertEquals("gpu(" + t[1] + ")", t[2], "device built from the address");
        assertNotEquals(
            String.valueOf(ProcessHandle.current().pid()), t[5], "ran in an executor JVM");
      }
      int overlapping = 0;
      for (int i = 0; i < tasks.size(); i++) {
        for (int j = i + 1; j < tasks.size(); j++) {
          String[] a = tasks.get(i);
          String[] b = tasks.get(j);
          if (Long.parseLong(a[3]) < Long.parseLong(b[4])
              && Long.parseLong(b[3]) < Long.parseLong(a[4])) {
            overlapping++;
            assertNotEquals(
                a[1], b[1], "concurrent tasks " + a[0] + " and " + b[0] + " share GPU " + a[1]);
          }
        }
      }
      assertTrue(overlapping >= 1, "two task slots ran tasks concurrently: " + rows);

      // A GPU assignment on a node whose PyTorch has no CUDA fails with what to install, not
      // silently on CPU.
      Exception e =
          assertThrows(
              Exception.class,
              () ->
                  spark
                      .range(0, 1, 1, 1)
                      .mapPartitions(
                          (MapPartitionsFunction<Long, String>)
                              it -> List.of(TaskDevices.current().toString()).iterator(),
                          Encoders.STRING())
                      .collectAsList());
      assertTrue(
          String.valueOf(e.getMessage()).contains("install a CUDA build of libtorch"),
          e.toString());
    } finally {
      spark.stop();
    }
  }
}
