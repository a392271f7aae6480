import type { NormalizedEvent } from "../../../contracts/events";
import { chunks, IN_CHUNK } from "../../../lib/chunks";
import type { Tenant } from "../../../lib/tenant";
import type { DraftEvent } from "../types";
import {
  bareExternalId,
  type ContactRow,
  externalIds,
  type MessageRow,
  messagesByExternalIds,
  messagesByIds,
  type RowCache,
} from "./resolve";

type Found = { message: MessageRow; contact: ContactRow | null };

/**
 * One organization's messages and contacts as an EVENTS batch has read them and as its earlier
 * events changed them (counts, first times, score): the batch's events are applied in one D1
 * transaction, so the next event of the same message or contact must see what the earlier ones
 * did (the first open is only the first once).
 */
export class ResolveCache implements RowCache {
  private readonly found = new Map<string, Found>();
  private readonly external = new Map<string, string>();
  private readonly contacts = new Map<string, ContactRow>();

  constructor(private readonly orgId: string) {}

  byMessageId(id: string): Found | undefined {
    return this.found.get(id);
  }

  byExternalId(provider: string, id: string): Found | undefined {
    const messageId = this.external.get(`${provider}\n${bareExternalId(id)}`);
    return messageId ? this.found.get(messageId) : undefined;
  }

  contact(id: string): ContactRow | undefined {
    return this.contacts.get(id);
  }

  /** The batch's copy of a row read from D1 (the first one read stays the one that is changed). */
  keep(f: Found): Found {
    if (f.message.organizationId !== this.orgId) return f;
    const known = this.found.get(f.message.id);
    if (known) return known;
    const entry = { message: f.message, contact: f.contact ? this.keepContact(f.contact) : null };
    this.found.set(f.message.id, entry);
    if (f.message.externalId)
      this.external.set(`${f.message.provider}\n${bareExternalId(f.message.externalId)}`, f.message.id);
    return entry;
  }

  keepContact(c: ContactRow): ContactRow {
    if (c.organizationId !== this.orgId) return c;
    const known = this.contacts.get(c.id);
    if (known) return known;
    this.contacts.set(c.id, c);
    return c;
  }

  /**
   * Read the messages (with their contacts) that the batch's drafts name, a few queries for the
   * whole batch instead of one per event. What is not found is looked up again per event.
   */
  async prefetch(tenant: Tenant, drafts: DraftEvent[]): Promise<void> {
    const ids = [...new Set(drafts.flatMap((d) => (d.messageId ? [d.messageId] : [])))].filter(
      (id) => !this.found.has(id),
    );
    for (const part of chunks(ids)) for (const r of await messagesByIds(tenant, part)) this.keep(r);
    const byProvider = new Map<string, Set<string>>();
    for (const d of drafts) {
      if (d.messageId || !d.provider || !d.externalId) continue;
      if (this.byExternalId(d.provider, d.externalId)) continue;
      const set = byProvider.get(d.provider) ?? new Set<string>();
      set.add(bareExternalId(d.externalId));
      byProvider.set(d.provider, set);
    }
    for (const [provider, set] of byProvider) {
      // Each id in its two forms: half as many ids per query.
      for (const part of chunks([...set], IN_CHUNK / 2)) {
        for (const r of await messagesByExternalIds(tenant, provider, part.flatMap(externalIds)))
          this.keep(r);
      }
    }
  }
}

/** What an applied event changed on its message and contact, kept on the batch's copies. */
export function noteApplied(
  e: NormalizedEvent,
  message: MessageRow | null,
  contact: ContactRow | null,
  scoreAfter: number | null,
): void {
  const t = e.occurred_at;
  if (message) {
    if (e.type === "delivered") message.deliveredAt = Math.min(message.deliveredAt ?? t, t);
    if (e.type === "opened" && e.machine) message.machineOpenCount += 1;
    if (e.type === "opened" && !e.machine) message.openCount += 1;
    if (e.type === "clicked" && !e.machine) message.clickCount += 1;
    if (e.type === "replied") message.repliedAt = Math.min(message.repliedAt ?? t, t);
  }
  if (contact && scoreAfter !== null) contact.score = scoreAfter;
}
