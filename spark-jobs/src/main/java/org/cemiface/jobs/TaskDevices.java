package org.cemiface.jobs;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;

/** The device of the running Spark task: the GPU Spark assigned to it, else the CPU. */
public final class TaskDevices {
  private TaskDevices() {}

  /** The GPU address Spark assigned to the current task, or null when none (or outside a task). */
  public static String assignedGpu() {
    TaskContext context = TaskContext.get();
    return context == null ? null : gpuAddress(context.resourcesJMap());
  }

  /** The first "gpu" address in a task's resources, or null. */
  static String gpuAddress(Map<String, ResourceInformation> resources) {
    ResourceInformation gpu = resources == null ? null : resources.get("gpu");
    return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
  }

  /** The DJL device for a GPU address (null: the CPU). */
  public static Device deviceFor(String gpuAddress) {
    if (gpuAddress == null) {
      return Device.cpu();
    }
    try {
      return Device.gpu(Integer.parseInt(gpuAddress.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Spark assigned GPU address '"
              + gpuAddress
              + "', which is not a CUDA"
              + " device index; make the discovery script print indices such as [\"0\",\"1\"]",
          e);
    }
  }

  /**
   * The device for the current task, checked against the engine: a GPU assignment on an engine
   * without CUDA is an error that says how to fix the node, rather than a silent CPU run.
   */
  public static Device current() {
    Device device = deviceFor(assignedGpu());
    if (device.isGpu() && device.getDeviceId() >= Engine.getInstance().getGpuCount()) {
      throw new IllegalStateException(
          "Spark assigned GPU "
              + device.getDeviceId()
              + " to this task but the PyTorch"
              + " engine sees "
              + Engine.getInstance().getGpuCount()
              + " GPUs: install a CUDA build of libtorch 2.7.1 on"
              + " the node and set PYTORCH_LIBRARY_PATH/PYTORCH_FLAVOR (docs/operations.md)");
    }
    return device;
  }

  /**
   * The configured encoder ({@code encoder.*} of a shipped configuration) on this task's device.
   */
  public static IdentityEncoder encoder(ShippedConfig config) {
    EncoderSettings settings =
        EncoderSettings.from(config.reader()).resolvedAgainst(RunSettings.from(config.reader()));
    return IdentityEncoders.open(settings, current());
  }
}
