package org.cemiface.jobs.stats;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/** One row of samples.parquet as the stats tasks need it. */
record SampleRef(long subject, int index, String kind, float m, String path, String inquirySource)
    implements Serializable {
  static SampleRef of(Row r) {
    return new SampleRef(
        r.getLong(r.fieldIndex("subject")),
        r.getInt(r.fieldIndex("index")),
        r.getString(r.fieldIndex("kind")),
        r.getFloat(r.fieldIndex("m")),
        r.getString(r.fieldIndex("path")),
        r.getString(r.fieldIndex("inquiry_source")));
  }
}
