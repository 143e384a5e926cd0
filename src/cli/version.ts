/**
 * The CLI's own version. Kept in this dependency-free module so `berth --version` can print it
 * without loading anything else; a unit test keeps it equal to package.json's.
 */
export const CLI_VERSION = '0.1.0';

/** What `berth --version` prints. */
export const VERSION_LINE = `berth version ${CLI_VERSION}`;
