package io.tessera.admin.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import io.tessera.core.wire.WirePaths;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses API request bodies over the limit with a 413: at once when {@code Content-Length} says so,
 * and while reading when the body is chunked. Executors' result reports have a limit of their own,
 * checked the same way, before their signature (which needs the body) can be verified.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long apiLimit;
    private final long resultsLimit;
    private final ProblemWriter problems;

    /**
     * @param apiLimit     for every API request but result reports
     * @param resultsLimit for {@link WirePaths#RESULTS}
     */
    public BodySizeLimitFilter(long apiLimit, long resultsLimit, ProblemWriter problems) {
        this.apiLimit = apiLimit;
        this.resultsLimit = resultsLimit;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = WirePaths.RESULTS.equals(request.getRequestURI()) ? resultsLimit : apiLimit;
        if (request.getContentLengthLong() > limit) {
            problems.writeAndClose(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "body",
                    "the request body has " + request.getContentLengthLong() + " bytes; at most " + limit + " are accepted");
            return;
        }
        chain.doFilter(request.getContentLengthLong() < 0 ? new Limited(request, limit) : request, response);
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
