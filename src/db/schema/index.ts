export * from "./audience";
export * from "./automation";
export * from "./contacts";
export * from "./messages";
export * from "./organizations";
export * from "./scenarios";
export * from "./templates";
export * from "./commerce";
