import { trim } from "./babel-runtime";

export default trim;
