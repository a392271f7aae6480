import { defineProperty } from "./babel-runtime";

export default defineProperty;
