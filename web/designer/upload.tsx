/** The image block's upload: a file sent to the asset store, whose public address the block takes. */
import { useState } from "preact/hooks";
import type { DesignerData } from "./types";

export function Upload(props: { data: DesignerData; onUploaded: (a: { id: string; url: string }) => void }) {
  const { data } = props;
  const { t } = data;
  const [status, setStatus] = useState("");
  const send = async (file: File) => {
    setStatus(t.uploading);
    const body = new FormData();
    body.set("_csrf", data.csrf);
    body.set("file", file);
    const res = await fetch(data.urls.upload, { method: "POST", body, credentials: "same-origin" }).catch(
      () => null,
    );
    const json = ((await res?.json().catch(() => null)) ?? {}) as {
      id?: string;
      url?: string;
      error?: { message?: string };
    };
    if (res?.ok && json.id && json.url) {
      props.onUploaded({ id: json.id, url: json.url });
      setStatus(t.uploaded);
    } else setStatus(json.error?.message ?? t.saveFailed);
  };
  return (
    <div class="dz-field">
      <label for="dz-upload">{t.upload}</label>
      <input
        id="dz-upload"
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) void send(f);
        }}
      />
      <p class="muted small" role="status">
        {status}
      </p>
    </div>
  );
}
