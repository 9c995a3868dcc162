package org.cemiface.jobs.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.cemiface.generate.BlockGenerator;
import org.cemiface.generate.FileCommitter;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.nn.TorchThreads;
import org.cemiface.plan.PlanRow;
import scala.Tuple2;

/**
 * One Spark task of the generate job: one block of whole subjects through {@link BlockGenerator}.
 */
final class GeneratePartition
    implements Function2<
        Integer, Iterator<Tuple2<Long, PlanRow>>, Iterator<BlockGenerator.Result>> {
  private final GenerateTask task;

  GeneratePartition(GenerateTask task) {
    this.task = task;
  }

  @Override
  public Iterator<BlockGenerator.Result> call(Integer block, Iterator<Tuple2<Long, PlanRow>> rows) {
    if (!rows.hasNext()) {
      return Collections
          .emptyIterator(); // a block completed by an earlier run, or beyond the last subject
    }
    List<PlanRow> list = new ArrayList<>();
    rows.forEachRemaining(t -> list.add(t._2()));
    TaskContext context = TaskContext.get();
    Path attemptDir = new Path(task.layout().temporary(), "attempt-" + context.taskAttemptId());
    GenerateSettings settings = task.settings();
    TorchThreads.set(settings.torchThreads());
    FileCommitter committer = new FileCommitter(settings.commit(), attemptDir);
    BlockGenerator generator =
        new BlockGenerator(
            task.layout(),
            task.imageSettings(),
            settings.batchSize(),
            settings.recordIo(),
            settings.writeAhead(),
            System.err);
    try {
      BlockGenerator.Result result =
          generator.run(
              block,
              list,
              task.firstKeys().get(block),
              task::loadModels,
              committer,
              context.attemptNumber(),
              settings.injectFailure());
      return List.of(result).iterator();
    } finally {
      HadoopFiles.deleteRecursively(attemptDir);
    }
  }
}
