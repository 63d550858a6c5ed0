package io.authrelay.sim;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * Signs id_tokens (RS256) with one simulator's own key. The key is made on first use, so a flavour that issues no
 * id_tokens never pays for RSA key generation.
 */
final class IdTokenSigner {

    private record Key(RSAKey rsa, RSASSASigner signer) {}

    private Key key;

    /** The JWKS document of the public key. */
    Map<String, Object> publicKeys() {
        return new JWKSet(key().rsa().toPublicJWK()).toJSONObject(true);
    }

    String sign(String issuer, Tokens.Family family, long now, int lifetimeSeconds) {
        return sign(new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(family.login)
                .audience(family.clientId)
                .issueTime(new Date(now / 1000 * 1000))
                .expirationTime(new Date((now / 1000 + lifetimeSeconds) * 1000))
                .claim("preferred_username", family.login)
                .claim("email", family.login + "@example.test")
                .build());
    }

    /** Any claims, signed: the vendor stand-ins' JWT-shaped access tokens and id_tokens. */
    String sign(JWTClaimsSet claims) {
        Key k = key();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(k.rsa().getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(k.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign id_token", e);
        }
        return jwt.serialize();
    }

    private synchronized Key key() {
        if (key == null) {
            try {
                RSAKey rsa = new RSAKeyGenerator(2048)
                        .keyID(UUID.randomUUID().toString())
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .generate();
                key = new Key(rsa, new RSASSASigner(rsa));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate the id_token signing key", e);
            }
        }
        return key;
    }
}
