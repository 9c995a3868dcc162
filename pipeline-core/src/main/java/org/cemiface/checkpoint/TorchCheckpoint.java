package org.cemiface.checkpoint;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopPaths;

/**
 * Reads a zip-format {@code torch.save} file (PyTorch ≥ 1.6: plain state dicts, Lightning {@code
 * .ckpt}) in Java without running any of its pickled code; see {@link RestrictedUnpickler}.
 */
public final class TorchCheckpoint {
  /** The most a compressed archive entry may inflate (zip bombs inflate a thousandfold). */
  static final long MAX_INFLATION = 64;

  private final String source;
  private final Object root;
  private final Map<String, byte[]> storages;

  private TorchCheckpoint(String source, Object root, Map<String, byte[]> storages) {
    this.source = source;
    this.root = root;
    this.storages = storages;
  }

  /**
   * Opens a checkpoint from any Hadoop path (non-local files are copied to a local temporary file
   * first).
   */
  public static TorchCheckpoint open(String path) {
    Path p = new Path(path);
    FileSystem fs = HadoopPaths.fileSystem(p);
    File local = null;
    boolean temporary = false;
    try {
      if (!fs.exists(p)) {
        throw new UncheckedIOException(new FileNotFoundException("checkpoint not found: " + path));
      }
      if ("file".equals(fs.getScheme())) {
        local = new File(fs.makeQualified(p).toUri());
      } else {
        local = File.createTempFile("cemiface-ckpt", ".zip");
        temporary = true;
        try (InputStream in = fs.open(p)) {
          Files.copy(in, local.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return read(local, path);
    } catch (IllegalArgumentException e) {
      if (String.valueOf(e.getMessage()).contains(path)) {
        throw e;
      }
      // java.util.zip reports some damage (an entry name that is not UTF-8) without the file.
      throw new IllegalArgumentException(
          path + ": damaged torch.save archive (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
    } finally {
      if (temporary && local != null && !local.delete()) {
        local.deleteOnExit();
      }
    }
  }

  private static TorchCheckpoint read(File file, String source) throws IOException {
    try (ZipFile zip = openZip(file, source)) {
      String prefix = null;
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (name.endsWith("/data.pkl")
            && name.indexOf('/') == name.length() - "/data.pkl".length()) {
          prefix = name.substring(0, name.length() - "data.pkl".length());
        }
      }
      if (prefix == null) {
        throw new IllegalArgumentException(
            source + ": no data.pkl in the archive; is this a torch.save file?");
      }
      byte[] pickle = entryBytes(zip, zip.getEntry(prefix + "data.pkl"), source);
      Map<String, TensorData.StorageRef> refs = new HashMap<>();
      Object root =
          new RestrictedUnpickler(
                  pickle,
                  pid -> {
                    TensorData.StorageRef ref = TensorData.StorageRef.of(pid, source);
                    refs.put(ref.key(), ref);
                    return ref;
                  },
                  source)
              .load();
      Map<String, byte[]> storages = new HashMap<>();
      for (String key : refs.keySet()) {
        ZipEntry e = zip.getEntry(prefix + "data/" + key);
        if (e == null) {
          throw new IllegalArgumentException(
              source + ": storage " + key + " is missing from the archive");
        }
        storages.put(key, entryBytes(zip, e, source));
      }
      return new TorchCheckpoint(source, root, storages);
    }
  }

  /**
   * An entry's bytes, never more than its declared size. torch.save stores entries uncompressed; a
   * compressed entry that would inflate more than {@value #MAX_INFLATION} times (a zip bomb) is
   * refused before it is read.
   */
  private static byte[] entryBytes(ZipFile zip, ZipEntry e, String source) throws IOException {
    long size = e.getSize();
    boolean bomb =
        e.getMethod() != ZipEntry.STORED
            && size > MAX_INFLATION * Math.max(0, e.getCompressedSize()) + (1 << 20);
    if (size < 0 || size > Integer.MAX_VALUE - 8 || bomb) {
      throw new IllegalArgumentException(
          source
              + ": archive entry "
              + e.getName()
              + " declares "
              + size
              + " bytes from "
              + e.getCompressedSize()
              + " stored; refused (torch.save writes entries uncompressed)");
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] bytes = in.readNBytes((int) size);
      if (in.read() != -1) {
        throw new IllegalArgumentException(
            source + ": archive entry " + e.getName() + " holds more than its declared size");
      }
      return bytes;
    }
  }

  private static ZipFile openZip(File file, String source) throws IOException {
    try {
      return new ZipFile(file);
    } catch (ZipException e) {
      throw new IllegalArgumentException(
          source
              + ": not a zip-format torch.save file ("
              + e.getMessage()
              + "). Files written before PyTorch 1.6 must be re-saved with torch.save(obj, path) on a newer PyTorch.",
          e);
    }
  }

  /** The unpickled top-level object (maps, lists, tensor references, inert placeholders). */
  public Object root() {
    return root;
  }

  /**
   * The tensors of the state dict (the top-level {@code state_dict} entry of a Lightning
   * checkpoint, or the top-level map itself) whose keys start with {@code prefix}, with the prefix
   * removed; everything else in the file is skipped.
   */
  public Map<String, TensorData> stateDict(String prefix) {
    Map<?, ?> dict =
        root instanceof Map<?, ?> m && m.get("state_dict") instanceof Map<?, ?> sd
            ? sd
            : root instanceof Map<?, ?> m2 ? m2 : null;
    if (dict == null) {
      throw new IllegalArgumentException(
          source + ": the checkpoint holds " + PythonObjects.describe(root) + ", not a state dict");
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.startsWith(prefix) && e.getValue() instanceof TensorData.Ref ref) {
        out.put(
            key.substring(prefix.length()),
            ref.materialize(storages.get(ref.storage().key()), source));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + ": no tensors with prefix '"
              + prefix
              + "' (keys start like "
              + dict.keySet().stream().limit(3).toList()
              + ")");
    }
    return out;
  }
}
