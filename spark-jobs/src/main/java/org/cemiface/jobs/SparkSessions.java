package org.cemiface.jobs;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession of a job from {@link SparkSettings}. Local masters stay on loopback, and
 * GPU task requests under {@code local[N]} fail fast instead of hanging.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** The effective Spark configuration for {@code settings} (master only when set). */
  public static SparkConf conf(SparkSettings settings) {
    SparkConf conf = new SparkConf().setAppName(settings.appName());
    // Under spark-submit the master arrives as the system property spark.master and wins over
    // spark.master here.
    if (!settings.master().isEmpty() && !conf.contains("spark.master")) {
      conf.setMaster(settings.master());
    }
    for (Map.Entry<String, String> e : settings.conf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    String master = conf.get("spark.master", "");
    if (master.startsWith("local")) {
      // Local runs must not bind to the machine's external address.
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    rejectGpuTasksInLocalMode(conf);
    return conf;
  }

  /** Starts (or joins) the session. */
  public static SparkSession start(SparkSettings settings) {
    return SparkSession.builder().config(conf(settings)).getOrCreate();
  }

  /**
   * Spark's local scheduler never offers resources to tasks, so a job whose tasks ask for a GPU
   * under {@code local[N]} waits forever. Detect that before starting.
   */
  static void rejectGpuTasksInLocalMode(SparkConf conf) {
    String master = conf.get("spark.master", "");
    boolean local = master.equals("local") || master.startsWith("local[");
    if (local && conf.contains("spark.task.resource.gpu.amount")) {
      throw new IllegalArgumentException(
          "spark.task.resource.gpu.amount is set but the master is "
              + master
              + ": Spark's local mode cannot give GPUs to tasks and the job would hang. Use a cluster master, or"
              + " local-cluster[workers,cores,memory] with spark.worker.resource.gpu.* for a single machine, or"
              + " remove the GPU task amount to run on CPU.");
    }
  }
}
