import { DurableObject } from "cloudflare:workers";
import { meteredEnv } from "../src/lib/metering";
import { startScheduled } from "../src/services/campaigns/transitions";

interface Armed {
  organization_id: string;
  campaign_id: string;
  at: number;
}

/**
 * One object per scheduled campaign (`idFromName(campaignId)`): its alarm starts the campaign at
 * send_at. The start is a conditional UPDATE (scheduled -> sending), so this alarm and the
 * 5-minute cron, whichever comes first, start it once; a campaign rescheduled or cancelled since
 * is simply not started by an old alarm.
 */
export class CampaignClockDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
  }

  /** Remember the campaign and set the alarm at `at` (epoch ms). */
  async arm(organizationId: string, campaignId: string, at: number): Promise<void> {
    this.ctx.storage.kv.put("armed", {
      organization_id: organizationId,
      campaign_id: campaignId,
      at,
    } satisfies Armed);
    await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const armed = this.ctx.storage.kv.get<Armed>("armed");
    if (!armed) return;
    // Not yet (rescheduled later): wait for the new time.
    if (armed.at > Date.now() + 1000) {
      await this.ctx.storage.setAlarm(armed.at);
      return;
    }
    await startScheduled(this.env, armed.organization_id, armed.campaign_id);
    this.ctx.storage.kv.delete("armed");
  }
}
