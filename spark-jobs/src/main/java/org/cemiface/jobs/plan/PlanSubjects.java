package org.cemiface.jobs.plan;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.MChoice;
import org.cemiface.plan.VolumePlanner;
import org.cemiface.volume.VolumeSettings;

/** Expands a subject id into its plan rows (runs in the tasks of the plan job). */
final class PlanSubjects implements FlatMapFunction<Long, Row> {
  private final Broadcast<List<Inquiry>> inquiries;
  private final VolumeSettings volume;
  private final MChoice m;
  private final long seed;

  PlanSubjects(Broadcast<List<Inquiry>> inquiries, VolumeSettings volume, MChoice m, long seed) {
    this.inquiries = inquiries;
    this.volume = volume;
    this.m = m;
    this.seed = seed;
  }

  @Override
  public Iterator<Row> call(Long subject) {
    Inquiry inquiry = inquiries.value().get(Math.toIntExact(subject));
    return VolumePlanner.subjectRows(subject, inquiry, volume, m, seed).stream()
        .map(PlanTable::toRow)
        .iterator();
  }
}
