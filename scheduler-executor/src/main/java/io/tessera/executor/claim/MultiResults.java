package io.tessera.executor.claim;

import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.OpResult;

import java.util.List;

/** Reading the per-op results of a failed {@code multi}. */
final class MultiResults {

    private MultiResults() {
    }

    /**
     * The index of the op that made the multi fail, or -1 when none says so. The ops before it
     * answer OK (they would have succeeded) and those after it RUNTIMEINCONSISTENCY (never tried).
     */
    static int firstFailed(List<OpResult> results) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult error && error.getErr() != Code.OK.intValue()
                    && error.getErr() != Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }
}
