package io.authrelay.core.clilogin;

import io.authrelay.core.DomainException;
import io.authrelay.core.credential.RefreshGrant;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.vault.Secret;

/** Refreshes AI-CLI credentials the way their driver says, and every other kind through the device-flow client. */
public final class CliRefreshGrant implements RefreshGrant {
    private final RefreshGrant deviceFlow;
    private final CliRefreshClient cli;
    private final CliDrivers drivers;

    public CliRefreshGrant(RefreshGrant deviceFlow, CliRefreshClient cli, CliDrivers drivers) {
        this.deviceFlow = deviceFlow;
        this.cli = cli;
        this.drivers = drivers;
    }

    @Override
    public ProviderResponse refresh(Provider provider, Secret refreshToken) {
        if (provider.kind() != ProviderKind.CLI_LOGIN) return deviceFlow.refresh(provider, refreshToken);
        RefreshSpec spec = drivers.find(provider.cli().driver())
                .map(CliDriver::refresh)
                .orElseThrow(() -> DomainException.conflict(
                        "not_refreshable",
                        "the driver of '" + provider.name() + "' says nothing about refreshing",
                        "sign in again: authrelay login " + provider.name()));
        return cli.refresh(spec, refreshToken);
    }
}
