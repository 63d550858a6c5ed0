package io.authrelay.server.http;

import io.authrelay.client.git.CredentialInput;
import io.authrelay.client.git.MalformedCredentialException;
import io.authrelay.core.workspace.VendRequest;

/** git's credential format as the sh helper forwards it, read with the same parser the Java helper uses. */
final class GitCredentialBody {
    private GitCredentialBody() {}

    static VendRequest parse(String body) {
        try {
            CredentialInput input = CredentialInput.parse(body);
            return new VendRequest(
                    input.protocol(), input.host(), input.path(), input.username(), input.list("wwwauth"), null);
        } catch (MalformedCredentialException e) {
            throw new ApiException(400, "invalid_credential_request", e.getMessage(), "expected git's key=value lines");
        }
    }
}
