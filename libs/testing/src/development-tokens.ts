import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Tokens of the service's development issuer, minted by its token command (`nx run order-service:token`,
 * run directly with this Node) with the issuer's key in `keysDirectory()`: real RS256 tokens the service
 * verifies against the issuer's JWKS. Each distinct set of arguments is minted once and reused.
 */
export function developmentTokens(
  tokenCommand: string,
  keysDirectory: () => string,
): (...args: string[]) => Promise<string> {
  const minted = new Map<string, Promise<string>>();
  return (...args) => {
    const key = args.join(' ');
    let token = minted.get(key);
    if (!token) {
      token = promisify(execFile)(process.execPath, [
        tokenCommand,
        '--dir',
        keysDirectory(),
        ...args,
      ]).then(({ stdout }) => stdout.trim());
      minted.set(key, token);
    }
    return token;
  };
}
