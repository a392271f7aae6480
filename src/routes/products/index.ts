import type { App } from "../../app-env";
import { registerGetProduct } from "./get";
import { registerImportProducts } from "./import";
import { registerListProducts } from "./list";
import { registerUpsertProduct } from "./upsert";

/** The product catalogue (API.md, "Products, purchases, RFM and recommendations"). */
export function registerProductRoutes(app: App) {
  // import before /{id} so the literal path wins
  registerImportProducts(app);
  registerUpsertProduct(app);
  registerListProducts(app);
  registerGetProduct(app);
}
