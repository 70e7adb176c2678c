package io.tessera.admin.api;

import io.tessera.admin.engine.DatabaseFailures;
import io.tessera.admin.engine.ResultIntake;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where executors report finished shards, a burst at a time ({@link ResultBatch}). Authenticated
 * by the cluster secret's signature, like every admin↔executor request; the whole report is stored
 * in one transaction before it is acknowledged.
 */
@RestController
public class ExecutorResultsController {

    private static final Logger log = LoggerFactory.getLogger(ExecutorResultsController.class);

    private final RequestSigner signer;
    private final ResultIntake intake;

    public ExecutorResultsController(RequestSigner signer, ResultIntake intake) {
        this.signer = signer;
        this.intake = intake;
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
        ResultBatch batch;
        try {
            batch = WireCodec.decode(bytes, ResultBatch.class);
        } catch (WireFormatException e) {
            return error(HttpStatus.BAD_REQUEST, "malformed", e.getMessage());
        }
        try {
            return ResponseEntity.ok(WireCodec.encode(intake.accept(batch.results())));
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isDatabaseFailure(e)) {
                throw e;
            }
            log.warn("Cannot record a report of {} result(s) now: {}", batch.results().size(), DatabaseFailures.rootMessage(e));
            return error(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable",
                    "the admin cannot store results right now; keep the report and send it again");
        }
    }

    private static ResponseEntity<byte[]> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(WireCodec.encode(new ErrorReply(WireMessage.PROTOCOL_VERSION, code, message)));
    }
}
