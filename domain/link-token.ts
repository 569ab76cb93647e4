/**
 * Supporter link tokens (`/a/<token>`, `/u/<token>`): base64url characters of an HMAC-SHA256 over the
 * delivery key (stage run, supporter, channel), so a token is signed, bound to one delivery and
 * reveals no id. 16 characters × 6 bits = 96 bits: the shortest length that stays unguessable (NIST
 * SP 800-107 allows HMAC truncation to 64 bits; 96 leaves a margin against 2^96 online guesses, which
 * the per-IP rate limit makes hopeless). Tokens minted before this length (32 characters, 192 bits)
 * are stored on their delivery rows and keep resolving.
 */
export const LINK_TOKEN_CHARS = 16;

/** Length of the link tokens minted before issue 22 (still valid, never minted again). */
export const LEGACY_LINK_TOKEN_CHARS = 32;
