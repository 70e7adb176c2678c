package io.tessera.admin.store.mybatis;

/** One row of a count grouped by run status. */
public class StatusCountRow {
    public String status;
    public long runs;
}
