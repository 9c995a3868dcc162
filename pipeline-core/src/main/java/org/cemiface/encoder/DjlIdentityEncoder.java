package org.cemiface.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.MappingReport;
import org.cemiface.checkpoint.ModelCard;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.checkpoint.TensorData;
import org.cemiface.checkpoint.TorchCheckpoint;
import org.cemiface.checkpoint.WeightImporter;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.nn.TorchNames;

/**
 * An IResNet running as a DJL block: differentiable, so the CemiFace losses can backpropagate
 * through it.
 */
public final class DjlIdentityEncoder extends BatchedEncoder implements DifferentiableEncoder {
  private static final double[] HALF = {0.5, 0.5, 0.5};
  private final NDManager manager;
  private final IResNet network;
  private final ParameterStore store;

  /**
   * Wraps an initialised network whose arrays live in {@code manager}; takes ownership of the
   * manager.
   */
  public DjlIdentityEncoder(
      IResNet network, NDManager manager, TensorLayout layout, int batchSize) {
    super(layout, batchSize);
    this.network = network;
    this.manager = manager;
    this.store = new ParameterStore(manager, false);
    network.freezeParameters(true);
  }

  /**
   * Loads an AdaFace Lightning checkpoint ({@code state_dict} entries under "model."). The
   * architecture is inferred from the tensor shapes; a non-empty {@code expectedArch} (ir_50 …)
   * must match it. AdaFace models take BGR input normalised as (x/255 − 0.5)/0.5.
   */
  public static DjlIdentityEncoder fromAdaFace(
      String path, String expectedArch, Device device, int batchSize) {
    Map<String, TensorData> sd = TorchCheckpoint.open(path).stateDict("model.");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    sd.forEach((k, v) -> shapes.put(k, v.shape()));
    IResNetConfig cfg = IResNetConfig.infer(shapes, path);
    if (!expectedArch.isEmpty()
        && !expectedArch.replace("ir_101", "ir_100").equals(cfg.depthName())) {
      throw new IllegalArgumentException(
          path + " holds an " + cfg.depthName() + " network (" + cfg + "), not " + expectedArch);
    }
    NDManager manager = NDManager.newBaseManager(device);
    try {
      IResNet net = new IResNet(cfg);
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, cfg.inputSize(), cfg.inputSize()));
      MappingReport report = WeightImporter.load(net, sd, true, path);
      if (!report.isExact()) {
        throw new IllegalStateException(report.describe());
      }
      TensorLayout layout = new TensorLayout(cfg.inputSize(), ChannelOrder.BGR, HALF, HALF);
      return new DjlIdentityEncoder(net, manager, layout, batchSize);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Checkpoint name of an encoder inside a model directory. */
  public static final String STORE_NAME = "encoder";

  /**
   * Loads an encoder this project saved with {@link #save}: {@code encoder.params} and {@code
   * encoder.json} in {@code dir}. The card carries the architecture and the input layout.
   */
  public static DjlIdentityEncoder fromStore(String dir, Device device, int batchSize) {
    Path root = new Path(dir);
    ModelCard card = ModelStore.card(root, STORE_NAME);
    if (!card.architecture().equals("iresnet")) {
      throw new IllegalArgumentException(
          dir
              + "/"
              + STORE_NAME
              + ".json describes a "
              + card.architecture()
              + ", not an iresnet encoder");
    }
    Gson gson = new Gson();
    TensorLayout layout =
        ModelStore.build(
            root, STORE_NAME, () -> gson.fromJson(card.config().get("layout"), TensorLayout.class));
    NDManager manager = NDManager.newBaseManager(device);
    try {
      IResNet net =
          ModelStore.build(
              root,
              STORE_NAME,
              () -> {
                IResNetConfig cfg =
                    gson.fromJson(card.config().get("network"), IResNetConfig.class);
                IResNet built = new IResNet(cfg);
                built.initialize(
                    manager, DataType.FLOAT32, new Shape(1, 3, cfg.inputSize(), cfg.inputSize()));
                return built;
              });
      ModelStore.loadParameters(net, manager, root, STORE_NAME);
      return new DjlIdentityEncoder(net, manager, layout, batchSize);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Saves {@code network} with its layout as {@code dir/encoder.{params,json}}. */
  public static void save(IResNet network, TensorLayout layout, String dir, String source) {
    Gson gson = new Gson();
    JsonObject config = new JsonObject();
    config.add("network", gson.toJsonTree(network.config()));
    config.add("layout", gson.toJsonTree(layout));
    ModelStore.save(
        network,
        new Path(dir),
        STORE_NAME,
        ModelCard.of("iresnet", config, TorchNames.count(network, false), source));
  }

  /** The network, for differentiable use (training losses). */
  public IResNet network() {
    return network;
  }

  /** The parameter store the network runs with. */
  public ParameterStore store() {
    return store;
  }

  @Override
  public int dimension() {
    return network.config().embeddingSize();
  }

  @Override
  public NDList forwardTensor(NDArray input) {
    return network.forward(store, new NDList(input), false);
  }

  @Override
  public Device device() {
    return manager.getDevice();
  }

  @Override
  public int[] spatialShape() {
    return new int[] {network.config().finalChannels(), network.config().finalSize()};
  }

  @Override
  NDManager manager() {
    return manager;
  }

  @Override
  NDArray features(NDArray batch) {
    // The network returns the normalised embedding and its norm; their product is the raw feature,
    // whose norm is the
    // quality score (filter.order = norm) and part of raw FID features.
    NDList out = network.forward(store, new NDList(batch), false);
    return out.get(0).mul(out.get(1));
  }

  @Override
  public void close() {
    manager.close();
  }
}
