package org.cemiface.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PyTorch engine must load from the jars on the classpath and compute without any network. */
class OfflineEngineTest {
  @Test
  void ndarrayOpsRunWithNetworkForbidden() {
    List<String> attempts = new ArrayList<>();
    // Any http(s) URL opened in this JVM from now on fails and is recorded.
    URL.setURLStreamHandlerFactory(
        protocol ->
            protocol.startsWith("http")
                ? new URLStreamHandler() {
                  @Override
                  protected URLConnection openConnection(URL u) throws IOException {
                    attempts.add(u.toString());
                    throw new IOException("network is forbidden in this test: " + u);
                  }
                }
                : null);
    assertEquals("true", System.getProperty("ai.djl.offline"), "surefire must run DJL offline");
    Engine engine = Engine.getEngine("PyTorch");
    assertEquals("2.7.1", engine.getVersion());
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray product = a.matMul(a);
      assertArrayEquals(new float[] {7, 10, 15, 22}, product.toFloatArray());
    }
    assertTrue(attempts.isEmpty(), "network was attempted: " + attempts);
  }
}
