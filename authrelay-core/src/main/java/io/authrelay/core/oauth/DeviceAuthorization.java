package io.authrelay.core.oauth;

import io.authrelay.core.vault.Secret;
import java.time.Duration;

/** The provider's answer to starting a device flow. */
public record DeviceAuthorization(
        Secret deviceCode,
        String userCode,
        String verificationUri,
        String verificationUriComplete,
        Duration expiresIn,
        Duration interval) {}
