package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.core.validation.Check;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/** API tokens (ADMIN only): the secret is in the creation answer and nowhere else; revocation is immediate. */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tokens")
public class TokensController {

    private final ApiTokenStore tokens;
    private final ApiAudit audit;

    public TokensController(ApiTokenStore tokens, ApiAudit audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Operation(summary = "Create a token", description = "201; the answer's 'token' is the secret, shown this once")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ApiJson.CreatedToken> create(@RequestBody ApiJson.NewToken body,
                                                       @AuthenticationPrincipal ApiPrincipal who) {
        Check.name("name", body.name());
        Check.notNull("role", body.role());
        String secret = ApiTokenStore.generate();
        ApiTokenStore.ApiToken created;
        try {
            created = tokens.create(body.name(), secret, body.role(), ApiAudit.actor(who));
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("a freshly generated token collided with a stored one", e);
        }
        audit.record(who, "token.create", "token:" + created.id(), created.name() + " (" + created.role() + ")");
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.id()))
                .body(new ApiJson.CreatedToken(created.id(), created.name(), created.role(), secret, created.createdAt()));
    }

    @GetMapping
    public List<ApiJson.TokenJson> list() {
        return tokens.list().stream().map(ApiJson.TokenJson::of).toList();
    }

    @Operation(summary = "Revoke a token", description = "204; the token stops working at once on every admin")
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> revoke(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal who) {
        ApiTokenStore.ApiToken token = tokens.find(id).orElseThrow(() -> ApiException.notFound("id", "token " + id));
        if (!tokens.revoke(id)) {
            throw ApiException.conflict("id", "token " + id + " is already revoked");
        }
        audit.record(who, "token.revoke", "token:" + id, token.name());
        return ResponseEntity.noContent().build();
    }
}
