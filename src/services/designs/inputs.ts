import { assertDesignAssets } from "../assets/store";
import type { Tenant } from "../../lib/tenant";
import { designProducts, type ProductMap } from "./products";
import type { Design } from "./schema";
import { eachBlock } from "./walk";

/** What a design needs from its organization to render: its images checked as the organization's, its named products read. */
export async function designInputs(tenant: Tenant, d: Design): Promise<ProductMap> {
  const assetIds: string[] = [];
  eachBlock(d.blocks, (b) => {
    if (b.type === "image" && b.asset_id) assetIds.push(b.asset_id);
  });
  await assertDesignAssets(tenant, assetIds);
  return designProducts(tenant, d);
}
