package io.tessera.admin.api;

import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.engine.DatabaseFailures;
import io.tessera.admin.engine.ResultIntake;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.wire.WirePaths;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where executors report finished shards, a burst at a time ({@link ResultBatch}). Authenticated
 * by the cluster secret's signature, like every admin↔executor request; the whole report is stored
 * in one transaction before it is acknowledged. The path needs no token, so nothing is read before
 * the signature headers were checked, and then at most {@code tessera.executor-results.max-body-bytes}
 * (a larger {@code Content-Length} was already refused by the {@link BodySizeLimitFilter}).
 * Refusals are {@code application/problem+json}.
 */
@RestController
public class ExecutorResultsController {

    private static final Logger log = LoggerFactory.getLogger(ExecutorResultsController.class);

    private final RequestSigner signer;
    private final ResultIntake intake;
    private final int maxBodyBytes;

    public ExecutorResultsController(RequestSigner signer, ResultIntake intake, TesseraProperties properties) {
        this.signer = signer;
        this.intake = intake;
        this.maxBodyBytes = (int) properties.executorResults().maxBodyBytes().toBytes();
    }

    @PostMapping(path = WirePaths.RESULTS)
    public ResponseEntity<?> report(HttpServletRequest request) throws IOException {
        RequestSigner.SignatureHeaders headers = RequestSigner.SignatureHeaders.from(request::getHeader);
        String refusal = signer.checkHeaders(headers);
        if (refusal != null) {
            return unauthorized(request, refusal);
        }
        byte[] body = readAtMostLimit(request);
        refusal = signer.verify("POST", WirePaths.RESULTS, request.getQueryString(), headers, body);
        if (refusal != null) {
            return unauthorized(request, refusal);
        }
        ResultBatch batch;
        try {
            batch = WireCodec.decode(body, ResultBatch.class);
        } catch (WireFormatException e) {
            return Problem.ofField(HttpStatus.BAD_REQUEST, "malformed", "body", e.getMessage(), null)
                    .at(request.getRequestURI()).toResponse();
        }
        try {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(WireCodec.encode(intake.accept(batch.results())));
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isDatabaseFailure(e)) {
                throw e;
            }
            log.warn("Cannot record a report of {} result(s) now: {}", batch.results().size(), DatabaseFailures.rootMessage(e));
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                    "the admin cannot store results right now; keep the report and send it again")
                    .at(request.getRequestURI()).toResponse();
        }
    }

    /** A chunked body has no length to refuse up front: it is read to one byte past the limit at most. */
    private byte[] readAtMostLimit(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw new PayloadTooLargeException(maxBodyBytes);
        }
        return body;
    }

    private static ResponseEntity<Problem> unauthorized(HttpServletRequest request, String refusal) {
        log.warn("Refused a result report from {}: {}", request.getRemoteAddr(), refusal);
        return Problem.ofField(HttpStatus.UNAUTHORIZED, "unauthorized", RequestSigner.SIGNATURE_HEADER, refusal, null)
                .at(request.getRequestURI()).toResponse();
    }
}
