package io.authrelay.sim;

/** What a grant at a vendor token endpoint came to: tokens, or why it was refused. */
sealed interface VendorGrantResult permits VendorTokens, VendorRejection {}
