package io.authrelay.core.clilogin;

import java.util.Optional;

/** The AI-CLI drivers this daemon runs: the shipped ones with the owner's overrides applied. */
public interface CliDrivers {
    Optional<CliDriver> find(String type);
}
