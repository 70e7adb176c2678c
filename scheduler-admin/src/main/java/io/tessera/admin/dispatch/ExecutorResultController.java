package io.tessera.admin.dispatch;

import io.tessera.admin.engine.ResultRecorder;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tessera.admin.engine.DatabaseFailures;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where executors report finished shards. Authenticated by the cluster secret's signature, like
 * every admin↔executor request; anything unsigned is refused before it is read.
 */
@RestController
public class ExecutorResultController {

    private static final Logger log = LoggerFactory.getLogger(ExecutorResultController.class);

    private final RequestSigner signer;
    private final ResultRecorder recorder;

    public ExecutorResultController(RequestSigner signer, ResultRecorder recorder) {
        this.signer = signer;
        this.recorder = recorder;
    }

    @PostMapping(path = WirePaths.RESULTS, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> report(@RequestBody(required = false) byte[] body,
                                         @RequestHeader(value = RequestSigner.TIMESTAMP_HEADER, required = false) String timestamp,
                                         @RequestHeader(value = RequestSigner.SIGNATURE_HEADER, required = false) String signature) {
        byte[] bytes = body == null ? new byte[0] : body;
        String refusal = signer.verify("POST", WirePaths.RESULTS, timestamp, signature, bytes);
        if (refusal != null) {
            log.warn("Refused a result report: {}", refusal);
            return error(HttpStatus.UNAUTHORIZED, "unauthorized", refusal);
        }
        ShardResult result;
        try {
            result = WireCodec.decode(bytes, ShardResult.class);
        } catch (WireFormatException e) {
            return error(HttpStatus.BAD_REQUEST, "malformed", e.getMessage());
        }
        try {
            return ResponseEntity.ok(WireCodec.encode(recorder.record(result)));
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isDatabaseFailure(e)) {
                throw e;
            }
            log.warn("Cannot record the result of run {} shard {} now: {}", result.runId(), result.shardIndex(), e.getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable",
                    "the admin cannot store results right now; keep the report and send it again");
        }
    }

    private static ResponseEntity<byte[]> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(WireCodec.encode(new ErrorReply(WireMessage.PROTOCOL_VERSION, code, message)));
    }
}
