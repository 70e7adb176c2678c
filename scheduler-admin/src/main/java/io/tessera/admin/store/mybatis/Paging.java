package io.tessera.admin.store.mybatis;

/** Bounds for pages, so that a bad request cannot ask the database for everything. */
final class Paging {

    static final int MAX_LIMIT = 10_000;

    private Paging() {
    }

    static void check(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 0 and " + MAX_LIMIT + ", was " + limit);
        }
    }
}
