package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.store.ApiTokenStore;
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
    private final AccessAdministration access;

    public TokensController(ApiTokenStore tokens, AccessAdministration access) {
        this.tokens = tokens;
        this.access = access;
    }

    @Operation(summary = "Create a token", description = "201; the answer's 'token' is the secret, shown this once")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ApiJson.CreatedToken> create(@RequestBody ApiJson.NewToken body,
                                                       @AuthenticationPrincipal ApiPrincipal who) {
        AccessAdministration.IssuedToken issued = access.createToken(body.name(), body.role(), ApiAudit.actor(who));
        ApiTokenStore.ApiToken created = issued.token();
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.id()))
                .body(new ApiJson.CreatedToken(created.id(), created.name(), created.role(), issued.secret(), created.createdAt()));
    }

    @GetMapping
    public List<ApiJson.TokenJson> list() {
        return tokens.list().stream().map(ApiJson.TokenJson::of).toList();
    }

    @Operation(summary = "Revoke a token", description = "204; the token stops working at once on every admin")
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> revoke(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal who) {
        tokens.find(id).orElseThrow(() -> ApiException.notFound("id", "token " + id));
        if (!access.revokeToken(id, ApiAudit.actor(who))) {
            throw ApiException.conflict("id", "token " + id + " is already revoked");
        }
        return ResponseEntity.noContent().build();
    }
}
