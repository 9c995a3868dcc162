package org.cemiface.training.encoder;

import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.training.optim.NamedParameters;

/** The trainable parameters of a network and its margin head, the head's keys prefixed "head.". */
final class RecognitionParameters {
  private RecognitionParameters() {}

  /** Network and head parameters by key, each set to record gradients. */
  static Map<String, Parameter> of(IResNet net, CosFaceHead head) {
    Map<String, Parameter> params = new LinkedHashMap<>(NamedParameters.trainable(net));
    NamedParameters.trainable(head).forEach((k, p) -> params.put("head." + k, p));
    params.values().forEach(p -> p.getArray().setRequiresGradient(true));
    return params;
  }
}
