/**
 * User ids as fixed-width ASCII (`u0000042`): one width for the whole log, so a chunk's bytes are
 * built by arithmetic rather than by encoding strings one by one.
 *
 * @example
 * const ids = new UserIds(200_000);
 * ids.text(42); // 'u0000042'
 */
export class UserIds {
  readonly width: number;

  constructor(users: number) {
    this.width = 1 + Math.max(7, String(Math.max(0, users - 1)).length);
  }

  text(user: number): string {
    return 'u' + String(user).padStart(this.width - 1, '0');
  }

  /** Writes the id of `user` as ASCII into `bytes` at `at`. */
  write(user: number, bytes: Uint8Array, at: number): void {
    bytes[at] = 0x75; // 'u'
    for (let i = this.width - 1; i >= 1; i--) {
      bytes[at + i] = 0x30 + (user % 10);
      user = Math.floor(user / 10);
    }
  }
}
