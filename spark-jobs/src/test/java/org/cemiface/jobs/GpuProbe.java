package org.cemiface.jobs;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * Runs in local-cluster executors: records the task's GPU address, the DJL device built from it,
 * and when the task ran (it holds its slot for a while so tasks overlap).
 */
public final class GpuProbe implements MapPartitionsFunction<Long, String> {
  @Override
  public Iterator<String> call(Iterator<Long> input) throws InterruptedException {
    long start = System.currentTimeMillis();
    String address = TaskDevices.assignedGpu();
    String device = TaskDevices.deviceFor(address).toString();
    Thread.sleep(1500);
    long end = System.currentTimeMillis();
    return List.of(
            TaskContext.getPartitionId()
                + ","
                + address
                + ","
                + device
                + ","
                + start
                + ","
                + end
                + ","
                + ProcessHandle.current().pid())
        .iterator();
  }
}
