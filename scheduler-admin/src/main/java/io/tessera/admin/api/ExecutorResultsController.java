package io.tessera.admin.api;

import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.engine.DatabaseFailures;
import io.tessera.admin.engine.ResultIntake;
import io.tessera.core.wire.BodyBufferBudget;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import io.tessera.core.wire.WirePaths;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * Where executors report finished shards, a burst at a time ({@link ResultBatch}). Authenticated
 * by the cluster secret's signature, like every admin↔executor request; the whole report is stored
 * in one transaction before it is acknowledged. The path needs no token, so nothing is read before
 * the signature headers were checked, and then at most {@code tessera.executor-results.max-body-bytes}
 * plus one byte (a larger {@code Content-Length} was already refused by the {@link BodySizeLimitFilter}).
 * Refusals are {@code application/problem+json}; those given without reading the whole body close
 * the connection rather than read the rest.
 */
@RestController
public class ExecutorResultsController {

    private static final Logger log = LoggerFactory.getLogger(ExecutorResultsController.class);

    private final RequestSigner signer;
    private final ResultIntake intake;
    private final int maxBodyBytes;

    private final ProblemWriter problems;
    private final BodyBufferBudget buffered;

    public ExecutorResultsController(RequestSigner signer, ResultIntake intake, TesseraProperties properties,
                                     ProblemWriter problems) {
        this.signer = signer;
        this.intake = intake;
        this.problems = problems;
        this.maxBodyBytes = (int) properties.executorResults().maxBodyBytes().toBytes();
        this.buffered = new BodyBufferBudget((int) properties.executorResults().maxBufferedBytes().toBytes());
    }

    @PostMapping(path = WirePaths.RESULTS)
    public ResponseEntity<?> report(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestSigner.SignatureHeaders headers = RequestSigner.SignatureHeaders.from(request::getHeader);
        String refusal = signer.checkHeaders(headers);
        if (refusal != null) {
            return unauthorized(request, response, refusal);
        }
        long length = request.getContentLengthLong();
        byte[] body;
        try (BodyBufferBudget.Reservation reserved = buffered.tryReserve(length < 0 ? maxBodyBytes + 1 : (int) length)) {
            if (reserved == null) {
                log.warn("Refused a result report from {}: result reports of {} bytes are being read already",
                        request.getRemoteAddr(), "tessera.executor-results.max-buffered-bytes");
                response.setHeader("Retry-After", "1");
                problems.writeAndClose(request, response, HttpStatus.SERVICE_UNAVAILABLE, "busy", null,
                        "too many result reports are being read at once; send this one again shortly");
                return null;
            }
            body = readAtMostLimit(request);
            if (body == null) {
                log.warn("Refused a result report from {}: its chunked body is larger than {} bytes", request.getRemoteAddr(),
                        maxBodyBytes);
                problems.writeAndClose(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "body",
                        "the request body is larger than " + maxBodyBytes + " bytes (tessera.executor-results.max-body-bytes)");
                return null;
            }
            refusal = signer.verify("POST", WirePaths.RESULTS, request.getQueryString(), headers, body);
            if (refusal != null) {
                return unauthorized(request, response, refusal);
            }
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

    /** @return null when the body is larger than the limit: a chunked one is read to one byte past it, no further */
    private byte[] readAtMostLimit(HttpServletRequest request) throws IOException {
        try {
            byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        } catch (PayloadTooLargeException e) {
            return null;
        }
    }

    /** Answered before (or instead of) reading the body, so the connection is closed after the answer. */
    private ResponseEntity<?> unauthorized(HttpServletRequest request, HttpServletResponse response, String refusal)
            throws IOException {
        log.warn("Refused a result report from {}: {}", request.getRemoteAddr(), refusal);
        problems.writeAndClose(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", RequestSigner.SIGNATURE_HEADER,
                refusal);
        return null;
    }
}
