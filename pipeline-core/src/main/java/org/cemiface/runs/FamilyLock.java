package org.cemiface.runs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * One run at a time per family: a lease file created with create-if-absent (atomic on local file
 * systems and HDFS), naming the holder and when the lease expires. A lease past its expiry is taken
 * over, so a crashed holder blocks the family for one lease at most. On S3A create-if-absent is not
 * atomic: give each family one scheduler there (docs/operations.md).
 */
public final class FamilyLock implements AutoCloseable {
  /** The family is held by another run whose lease has not expired. */
  public static final class Locked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Locked(String message) {
      super(message);
    }
  }

  private final Path file;
  private final String run;

  private FamilyLock(Path file, String run) {
    this.file = file;
    this.run = run;
  }

  /** Takes the lease at {@code file} for {@code run} until now + {@code lease}. */
  public static FamilyLock acquire(Path file, String run, Duration lease, Instant now) {
    FileSystem fs = HadoopPaths.fileSystem(file);
    for (int attempt = 0; attempt < 2; attempt++) {
      try (OutputStream out = fs.create(file, false)) {
        JsonObject j = new JsonObject();
        j.addProperty("run", run);
        j.addProperty("since", now.toString());
        j.addProperty("expires", now.plus(lease).toString());
        out.write(j.toString().getBytes(StandardCharsets.UTF_8));
        return new FamilyLock(file, run);
      } catch (IOException e) {
        // File systems report an existing file as FileAlreadyExistsException or a plain
        // IOException.
        if (!HadoopFiles.exists(file)) {
          throw new UncheckedIOException("cannot create lock " + file + ": " + e.getMessage(), e);
        }
        JsonObject held = read(file);
        Instant expires = Instant.parse(held.get("expires").getAsString());
        if (now.isBefore(expires)) {
          throw new Locked(
              "family locked by run "
                  + held.get("run").getAsString()
                  + " since "
                  + held.get("since").getAsString()
                  + " (lease until "
                  + expires
                  + "); this firing exits, the next one will find it free");
        }
        // An expired lease: its holder crashed or hung. Take it over.
        HadoopFiles.deleteRecursively(file);
      }
    }
    throw new Locked("family lock " + file + " was taken over by another firing just now");
  }

  private static JsonObject read(Path file) {
    return JsonParser.parseString(
            new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  /** Releases the lease if this run still holds it. */
  @Override
  public void close() {
    if (HadoopFiles.exists(file) && run.equals(read(file).get("run").getAsString())) {
      HadoopFiles.deleteRecursively(file);
    }
  }
}
