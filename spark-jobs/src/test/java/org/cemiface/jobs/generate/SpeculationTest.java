package org.cemiface.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.master.Master;
import org.apache.spark.deploy.worker.Worker;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.jobs.LocalClusterTest;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * generate with speculative execution on and one slow task: Spark launches a second attempt of that
 * block on another host, the first is killed when the copy finishes, and the dataset is
 * byte-identical to an undisturbed run's with every image once. Spark never places a speculative
 * copy on the host of the running attempt, and a local-cluster's workers share one host, so this
 * starts a standalone master and two workers on two loopback addresses, 127.0.0.1 and 127.0.0.2.
 */
class SpeculationTest {
  private static final int SUBJECTS = 8;
  private static final int IMAGES = 2;

  @TempDir Path dir;

  @Test
  void aSpeculativeCopyOfASlowBlockChangesNothing() throws Exception {
    LocalClusterTest.sparkHome();
    TinyWorld world = new TinyWorld(dir, SUBJECTS);
    LoadedConfig calm = ConfigLoader.load(List.of(), world.overrides("calm", SUBJECTS, IMAGES, 2));
    SparkSession local = SparkSessions.start(SparkSettings.from(calm));
    try {
      GenerateJobTest.planWith(local, calm);
      GenerateJob.run(local, calm, System.err);
    } finally {
      local.stop();
    }
    Map<String, byte[]> expected = GenerateJobTest.files(dir.resolve("calm"));

    SparkConf clusterConf =
        new SparkConf(false)
            .set("spark.master.rest.enabled", "false")
            .set("spark.shuffle.service.enabled", "false");
    List<RpcEnv> cluster = new ArrayList<>();
    SpeculationWatch watch = new SpeculationWatch();
    try {
      var master = Master.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, clusterConf);
      cluster.add(master._1());
      String url = "spark://127.0.0.1:" + master._1().address().port();
      for (String host : List.of("127.0.0.1", "127.0.0.2")) {
        cluster.add(
            Worker.startRpcEnvAndEndpoint(
                host,
                0,
                0,
                2,
                1024,
                new String[] {url},
                null,
                Option.apply(cluster.size()),
                clusterConf,
                Option.empty()));
      }
      List<String> overrides = new ArrayList<>(world.overrides("speculated", SUBJECTS, IMAGES, 2));
      overrides.addAll(
          LocalClusterTest.clusterConf(
              ", \"spark.cores.max\"=4",
              ", \"spark.speculation\"=true",
              ", \"spark.speculation.interval\"=\"100ms\"",
              ", \"spark.speculation.quantile\"=0.5",
              ", \"spark.speculation.multiplier\"=1.5",
              ", \"spark.speculation.minTaskRuntime\"=\"100ms\"",
              ", \"spark.speculation.efficiency.enabled\"=false",
              // Block 1's first attempt stalls after one subject for longer than the whole job
              // takes; executors read the switch (a later duplicate key wins in HOCON).
              ", \"spark.executor.extraJavaOptions\"=\"-Dai.djl.offline=true -D"
                  + GenerateSettings.FailureInjection.PROPERTY
                  + "=1:1:120000\""));
      overrides.removeIf(o -> o.startsWith("spark.master="));
      overrides.add("spark.master=" + url);
      LoadedConfig speculated = ConfigLoader.load(List.of(), overrides);
      SparkSession spark = SparkSessions.start(SparkSettings.from(speculated));
      try {
        spark.sparkContext().addSparkListener(watch);
        GenerateJobTest.planWith(spark, speculated);
        GenerateJob.Summary s = GenerateJob.run(spark, speculated, System.err);
        assertEquals(SUBJECTS * (IMAGES + 1), s.images());
        List<Row> samples =
            spark
                .read()
                .parquet(dir.resolve("speculated/samples.parquet").toString())
                .groupBy("subject", "index")
                .count()
                .collectAsList();
        assertEquals(SUBJECTS * (IMAGES + 1), samples.size(), "one row per planned image");
        assertTrue(samples.stream().allMatch(r -> r.getLong(2) == 1), "no image twice: " + samples);
      } finally {
        spark.stop();
      }
    } finally {
      for (RpcEnv env : cluster) {
        env.shutdown();
      }
    }
    // The stalled attempt of block 1 cannot end within the test by itself: a copy that succeeded
    // and an original that was killed show speculation did the work.
    assertTrue(
        watch.hosts.stream().anyMatch(h -> h.startsWith("1s@") && h.endsWith(":Success$"))
            && watch.hosts.stream().anyMatch(h -> h.startsWith("1@") && h.endsWith(":TaskKilled")),
        "block 1 was not finished by a speculative copy: " + watch.hosts);
    System.err.println("[speculation] " + watch.hosts);
    GenerateJobTest.assertFilesEqual(expected, GenerateJobTest.files(dir.resolve("speculated")));
    GenerateJobTest.assertNoHiddenLeftovers(dir.resolve("speculated"));
  }

  /** Notes how each task attempt ended: index, "s" for a speculative copy, host, reason. */
  private static final class SpeculationWatch extends SparkListener {
    final List<String> hosts = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      hosts.add(
          end.taskInfo().index()
              + (end.taskInfo().speculative() ? "s" : "")
              + "@"
              + end.taskInfo().host()
              + ":"
              + end.reason().getClass().getSimpleName());
    }
  }
}
