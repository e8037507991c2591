export interface Mail {
  from: string;
  to: string;
  subject: string;
  html: string;
}

/**
 * Where "sent" mail goes: there is no SMTP in the demo. Like the original's
 * test mailer, delivered mail is kept until `clear()`; the emailMemoryLeak
 * flag works by not clearing it.
 */
export class Outbox {
  private readonly mails: Mail[] = [];

  deliver(mail: Mail): void {
    this.mails.push(mail);
  }

  clear(): void {
    this.mails.length = 0;
  }

  get size(): number {
    return this.mails.length;
  }

  latest(): Mail | undefined {
    return this.mails.at(-1);
  }

  /** Characters held, for tests of the leak. */
  retainedChars(): number {
    return this.mails.reduce((sum, mail) => sum + mail.html.length, 0);
  }
}

/**
 * emailMemoryLeak multiplier m: m ≥ 1 pads the body by len × (m − 1) spaces
 * (the original's leak size); below 1 there is no padding.
 */
export function padForLeak(body: string, multiplier: number): string {
  if (!(multiplier >= 1)) return body;
  const padding = Math.floor(body.length * (multiplier - 1));
  // A fresh flat string per mail: ' '.repeat() builds a rope of shared
  // pieces, so a thousand retained mails would cost almost nothing and the
  // leak would not show in memory metrics.
  return body + Buffer.alloc(padding, 0x20).toString('latin1');
}

/** Mail is retained (leaked) only while the multiplier is at least 1. */
export const retainsMail = (multiplier: number): boolean => multiplier >= 1;
