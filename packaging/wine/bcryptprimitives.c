/*
 * Wine 8 (Debian 12's) has no bcryptprimitives.dll, where Rust's standard
 * library and getrandom take random bytes from (ProcessPrng). This stand-in
 * answers ProcessPrng from Wine's own BCryptGenRandom, so the Windows build
 * runs under Wine in CI. Only the check script puts it in Wine's system
 * folder; it is never shipped, and Windows 10 and later have the real one.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
