/**
 * The provider fixtures (test/fixtures: copied verbatim from shared/fixtures with their licenses), read as text at build
 * time so the files stay where they are, verbatim, next to their licenses.
 */
import brevoBlocked from "../fixtures/brevo/anymail-blocked.json?raw";
import brevoClick from "../fixtures/brevo/anymail-clicked_event.json?raw";
import brevoComplaint from "../fixtures/brevo/anymail-complaint.json?raw";
import brevoDeferred from "../fixtures/brevo/anymail-deferred_event.json?raw";
import brevoDelivered from "../fixtures/brevo/anymail-delivered_event.json?raw";
import brevoError from "../fixtures/brevo/anymail-error_email.json?raw";
import brevoHardBounce from "../fixtures/brevo/anymail-hard_bounce.json?raw";
import brevoInvalid from "../fixtures/brevo/anymail-invalid_email.json?raw";
import brevoOpened from "../fixtures/brevo/anymail-opened_event.json?raw";
import brevoProxyOpen from "../fixtures/brevo/anymail-proxy_open_event.json?raw";
import brevoSent from "../fixtures/brevo/anymail-sent_event.json?raw";
import brevoSoftBounce from "../fixtures/brevo/anymail-soft_bounce_event.json?raw";
import brevoSpam from "../fixtures/brevo/anymail-spam.json?raw";
import brevoUniqueOpened from "../fixtures/brevo/anymail-unique_opened_event.json?raw";
import brevoUniqueProxyOpen from "../fixtures/brevo/anymail-unique_proxy_open_event.json?raw";
import brevoUnsubscribe from "../fixtures/brevo/anymail-unsubscribe.json?raw";
import sesBounce from "../fixtures/ses/event-bounce.json?raw";
import sesClick from "../fixtures/ses/event-click.json?raw";
import sesComplaint from "../fixtures/ses/event-complaint.json?raw";
import sesDelay from "../fixtures/ses/event-delayed-delivery.json?raw";
import sesDelivery from "../fixtures/ses/event-delivery.json?raw";
import sesFailure from "../fixtures/ses/event-failure.json?raw";
import sesOpen from "../fixtures/ses/event-open.json?raw";
import sesReject from "../fixtures/ses/event-reject.json?raw";
import sesSend from "../fixtures/ses/event-send.json?raw";
import sesSubscription from "../fixtures/ses/event-subscription.json?raw";
import sesOldBounceNoDsn from "../fixtures/ses/notification-bounce-no-dsn.json?raw";
import sesOldBounceDsn from "../fixtures/ses/notification-bounce-with-dsn.json?raw";
import sesOldComplaint from "../fixtures/ses/notification-complaint-with-feedback.json?raw";
import sesOldDelivery from "../fixtures/ses/notification-delivery.json?raw";
import snsCert from "../fixtures/sns/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem?raw";
import snsV1NoSubject from "../fixtures/sns/notification-sigv1-nosubject.json?raw";
import snsV1Subject from "../fixtures/sns/notification-sigv1-subject.json?raw";
import snsV2NoSubject from "../fixtures/sns/notification-sigv2-nosubject.json?raw";
import snsV2Subject from "../fixtures/sns/notification-sigv2-subject.json?raw";

export const BREVO = {
  blocked: brevoBlocked,
  click: brevoClick,
  complaint: brevoComplaint,
  deferred: brevoDeferred,
  delivered: brevoDelivered,
  error: brevoError,
  hard_bounce: brevoHardBounce,
  invalid_email: brevoInvalid,
  opened: brevoOpened,
  proxy_open: brevoProxyOpen,
  request: brevoSent,
  soft_bounce: brevoSoftBounce,
  spam: brevoSpam,
  unique_opened: brevoUniqueOpened,
  unique_proxy_open: brevoUniqueProxyOpen,
  unsubscribe: brevoUnsubscribe,
};

/** SES event JSON (the SNS Message payload). */
export const SES = {
  bounce: sesBounce,
  click: sesClick,
  complaint: sesComplaint,
  delay: sesDelay,
  delivery: sesDelivery,
  failure: sesFailure,
  open: sesOpen,
  reject: sesReject,
  send: sesSend,
  subscription: sesSubscription,
  oldBounceNoDsn: sesOldBounceNoDsn,
  oldBounceDsn: sesOldBounceDsn,
  oldComplaint: sesOldComplaint,
  oldDelivery: sesOldDelivery,
};

/** Real AWS-signed SNS notifications and the certificate that signed them. */
export const SNS = {
  cert: snsCert,
  certUrl:
    "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
  v1NoSubject: snsV1NoSubject,
  v1Subject: snsV1Subject,
  v2NoSubject: snsV2NoSubject,
  v2Subject: snsV2Subject,
};

/** The SES message id every SES event fixture shares (mail.messageId). */
export const SES_MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";
/** The Brevo message id most Brevo fixtures share, without its angle brackets. */
export const BREVO_MESSAGE_ID = "201803011158.9876543210@smtp-relay.mailin.fr";
/** When the real SNS messages were signed (their certificate expired on 2022-08-17). */
export const SNS_SIGNED_AT = Date.parse("2022-07-28T22:00:00Z");
