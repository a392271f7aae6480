/**
 * js-xss is CommonJS whose exports are added at run time (`exports[i] = ...`): named imports do
 * not resolve in every bundler, so its module object is taken whole from the default import.
 */
import xss from "xss";

const lib = xss as unknown as typeof import("xss");
export const { FilterXSS, getDefaultWhiteList, safeAttrValue } = lib;
export type { IWhiteList } from "xss";
