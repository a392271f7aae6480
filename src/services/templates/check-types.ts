/** One problem the template check found (POST /templates/:id/check). */
export interface CheckIssue {
  code:
    | "PERSONALIZATION_ERROR"
    | "HTML_TOO_LARGE"
    | "IMAGE_MISSING_ALT"
    | "NO_UNSUBSCRIBE"
    | "INSECURE_LINK"
    | "BROKEN_LINK"
    | "SUBJECT_TOO_LONG"
    | "MISSING_PREHEADER"
    | "UNSUPPORTED_CSS";
  severity: "error" | "warning";
  message: string;
  /** The id of the design's block the issue is about, when it is one block's. */
  block?: string;
}
