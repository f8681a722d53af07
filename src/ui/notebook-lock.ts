/**
 * One tab owns a notebook at a time, through the Web Locks API: the owner autosaves it; another
 * tab that opens the same notebook is told so and saves its edits as a copy instead of over the
 * owner's. Taking over asks the owner (on a BroadcastChannel) to save what it has first, then
 * steals the lock; the tab that lost it saves any edit it made since as a copy. So no autosave
 * can overwrite another tab's work. Where there are no Web Locks (old browsers), every tab owns.
 */

/** Whether this tab may save the notebook over itself. */
export type Ownership = 'owner' | 'elsewhere' | 'taken';

type Message = { type: 'flush' | 'flushed' | 'saved'; id: string; tab: string };

const CHANNEL = 'cohortbook-notebooks';
const lockName = (id: string) => `cohortbook-notebook:${id}`;

export class NotebookLock {
  /** The notebook whose lock this tab holds or waits for. */
  id: string | null = null;
  state: Ownership = 'owner';
  private release: (() => void) | null = null;
  private readonly tab = crypto.randomUUID();
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  private readonly waiting = new Map<string, () => void>();
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param changed called when this tab's ownership changes (`taken`: another tab took over)
   * @param flush saves this tab's notebook now (another tab is about to take it over)
   * @param savedElsewhere another tab saved this notebook (a tab that does not own it may reload it)
   */
  constructor(
    private readonly changed: (state: Ownership) => void,
    private readonly flush: () => Promise<void>,
    private readonly savedElsewhere: () => void,
  ) {
    this.channel?.addEventListener('message', (event: MessageEvent<Message>) => { void this.onMessage(event.data); });
  }

  private get locks(): LockManager | undefined {
    return (navigator as Navigator & { locks?: LockManager }).locks;
  }

  private async onMessage(message: Message): Promise<void> {
    if (message.tab === this.tab || message.id !== this.id) return;
    if (message.type === 'flush' && this.state === 'owner') {
      await this.flush().catch(() => undefined);
      this.post('flushed');
    } else if (message.type === 'flushed') {
      this.waiting.get(message.id)?.();
    } else if (message.type === 'saved' && this.state !== 'owner') {
      this.savedElsewhere();
    }
  }

  private post(type: Message['type']): void {
    if (this.id) this.channel?.postMessage({ type, id: this.id, tab: this.tab } satisfies Message);
  }

  /** Tells the other tabs that this one saved the notebook. */
  saved(): void {
    this.post('saved');
  }

  /** Holds the lock of notebook `id` if no other tab does; says whether this tab owns it. */
  claim(id: string): Promise<Ownership> {
    return this.serially(async () => {
      if (this.id === id && this.state === 'owner' && this.release) return this.state;
      this.drop();
      this.id = id;
      if (!this.locks) return this.set('owner');
      const held = await this.hold(id, { ifAvailable: true });
      return this.set(held ? 'owner' : 'elsewhere');
    });
  }

  /**
   * Takes the notebook over from the tab that owns it: that tab saves first (it is given a
   * moment; a tab that does not answer, say a frozen one, is taken over anyway), then loses the lock.
   */
  takeOver(): Promise<void> {
    return this.serially(async () => {
      const id = this.id;
      if (!id || !this.locks) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1500);
        this.waiting.set(id, () => { clearTimeout(timer); resolve(); });
        this.post('flush');
      });
      this.waiting.delete(id);
      await this.hold(id, { steal: true });
      this.set('owner');
    });
  }

  /**
   * Claims and take-overs run one after another. Interleaved, a claim started by the owner's
   * "saved" during a take-over (the tab reopens the saved version) gave up the lock request the
   * take-over had just stolen, and the tab that held the lock believed another tab did.
   */
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Lets go of the lock (another notebook opens in this tab). */
  drop(): void {
    this.release?.();
    this.release = null;
    this.id = null;
  }

  /** Requests the lock and keeps it until `drop`, or until another tab steals it. Resolves once it is known whether it is held. */
  private hold(id: string, options: LockOptions): Promise<boolean> {
    return new Promise<boolean>((resolved) => {
      this.locks!.request(lockName(id), options, (lock) => {
        if (!lock) { resolved(false); return undefined; }
        resolved(true);
        return new Promise<void>((release) => { this.release = release; });
      }).catch((error: unknown) => {
        // stolen by another tab: this one no longer owns the notebook
        if ((error as Error)?.name === 'AbortError' && this.id === id) {
          this.release = null;
          this.set('taken');
        }
        resolved(false);
      });
    });
  }

  private set(state: Ownership): Ownership {
    if (state !== this.state) {
      this.state = state;
      this.changed(state);
    } else {
      this.state = state;
    }
    return state;
  }
}
