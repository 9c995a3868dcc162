package org.cemiface.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.image.Resize;
import org.cemiface.image.RgbImage;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.nn.Precision;
import org.cemiface.nn.Tensors;

/** The trained CemiFace UNet (DDIM) and the identity encoder, loaded once on one device. */
public final class CemiFaceSampleModels implements SampleModels {
  private final NDManager manager;
  private final CemiFaceUNet model;
  private final CemiFaceGenerator generator;
  private final IdentityEncoder encoder;
  private final String description;

  private CemiFaceSampleModels(
      NDManager manager,
      CemiFaceUNet model,
      CemiFaceGenerator generator,
      IdentityEncoder encoder,
      String description) {
    this.manager = manager;
    this.model = model;
    this.generator = generator;
    this.encoder = encoder;
    this.description = description;
  }

  /**
   * Loads the weights {@code name} from checkpoint directory {@code dir} (as {@link ModelWeights}
   * located them, once, on the driver) and the encoder, both on {@code device}; the UNet samples at
   * {@code precision} with similarity guidance {@code guidance} (1: none).
   */
  public static CemiFaceSampleModels load(
      Path dir,
      String name,
      EncoderSettings encoderSettings,
      DdimSampler sampler,
      Device device,
      Precision precision,
      double guidance) {
    NDManager manager = NDManager.newBaseManager(device);
    IdentityEncoder encoder = null;
    try {
      CemiFaceUNet unet = CemiFaceStore.load(dir, name, manager);
      encoder =
          unet.config().spatialTokens()
              ? IdentityEncoders.openDifferentiable(encoderSettings, device)
              : IdentityEncoders.open(encoderSettings, device);
      CemiFaceGenerator generator =
          new CemiFaceGenerator(
              unet, sampler, new ParameterStore(manager, false), precision, guidance);
      String description =
          "CemiFace UNet "
              + new Path(dir, name + ModelStore.PARAMS_SUFFIX)
              + " ("
              + unet.config().unet().imageSize()
              + " px, "
              + sampler.timesteps().length
              + " DDIM steps, "
              + precision.key()
              + (guidance == 1.0 ? "" : ", guidance " + guidance)
              + ") + encoder "
              + encoderSettings.source()
              + " on "
              + device;
      return new CemiFaceSampleModels(manager, unet, generator, encoder, description);
    } catch (RuntimeException e) {
      if (encoder != null) {
        encoder.close();
      }
      manager.close();
      throw e;
    }
  }

  @Override
  public Conditions conditionFromEmbeddings(List<float[]> embeddings) {
    if (model.config().spatialTokens()) {
      throw new IllegalArgumentException(
          "the model conditions on the encoder's spatial tokens (model.spatial-tokens = true), which an"
              + " inquiry given as an embedding does not have: give image inquiries, or a model"
              + " trained without spatial tokens");
    }
    for (float[] e : embeddings) {
      if (e.length != encoder.dimension()) {
        throw new IllegalArgumentException(
            "an inquiry embedding has "
                + e.length
                + " values; the model's encoder ("
                + description
                + ") gives "
                + encoder.dimension());
      }
    }
    return new Conditions(embeddings.toArray(new float[0][]), null);
  }

  @Override
  public Conditions condition(List<RgbImage> inquiries) {
    float[][] embeddings = encoder.embed(inquiries);
    if (!model.config().spatialTokens()) {
      return new Conditions(embeddings, null);
    }
    DifferentiableEncoder d = (DifferentiableEncoder) encoder;
    int size = d.layout().size();
    List<RgbImage> resized = new ArrayList<>(inquiries.size());
    for (RgbImage image : inquiries) {
      resized.add(
          image.width() == size && image.height() == size
              ? image
              : Resize.bilinear(image, size, size));
    }
    try (NDManager scope = manager.newSubManager(d.device())) {
      NDList out =
          d.forwardTensor(
              Tensors.floats(
                  scope, d.layout().toNchw(resized), new Shape(resized.size(), 3, size, size)));
      float[] flat = out.get(2).toFloatArray();
      int per = flat.length / resized.size();
      float[][] spatial = new float[resized.size()][per];
      for (int i = 0; i < spatial.length; i++) {
        System.arraycopy(flat, i * per, spatial[i], 0, per);
      }
      return new Conditions(embeddings, spatial);
    }
  }

  @Override
  public List<RgbImage> generate(float[][] embeddings, float[][] spatial, float[] m, long[] seeds) {
    return generator.generate(manager, embeddings, spatial, m, seeds);
  }

  @Override
  public float[][] embed(List<RgbImage> images) {
    return encoder.embed(images);
  }

  @Override
  public int imageSize() {
    return model.config().unet().imageSize();
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    encoder.close();
    manager.close();
  }
}
