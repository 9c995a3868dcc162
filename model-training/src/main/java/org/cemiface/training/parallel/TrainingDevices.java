package org.cemiface.training.parallel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import org.cemiface.config.ConfigError;

/** Resolves a trainer's {@code devices} key to DJL devices. */
public final class TrainingDevices {
  private TrainingDevices() {}

  /**
   * [] → the default device; ["all"] → every GPU (or the CPU when there is none); names → those
   * devices.
   */
  public static List<Device> resolve(List<String> names) {
    return resolve(names, "train.devices");
  }

  /** As {@link #resolve(List)}, naming {@code key} in errors. */
  public static List<Device> resolve(List<String> names, String key) {
    Engine engine = Engine.getEngine("PyTorch");
    if (names.isEmpty()) {
      return List.of(engine.defaultDevice());
    }
    if (names.size() == 1 && names.get(0).equals("all")) {
      int gpus = engine.getGpuCount();
      List<Device> all = new ArrayList<>();
      for (int i = 0; i < gpus; i++) {
        all.add(Device.gpu(i));
      }
      return all.isEmpty() ? List.of(Device.cpu()) : all;
    }
    List<Device> out = new ArrayList<>();
    for (String name : names) {
      Device d;
      try {
        d = Device.fromName(name.replace(":", ""));
      } catch (IllegalArgumentException e) {
        throw new ConfigError(key + ": '" + name + "' is not a device name (cpu, gpu0, gpu1, ...)");
      }
      if (d.isGpu() && d.getDeviceId() >= engine.getGpuCount()) {
        throw new ConfigError(
            key
                + ": "
                + name
                + " does not exist; this machine has "
                + engine.getGpuCount()
                + " GPU(s)");
      }
      out.add(d);
    }
    return out;
  }
}
