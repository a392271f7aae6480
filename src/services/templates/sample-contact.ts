import type { ContactRow } from "../contacts/types";

/**
 * The contact a rendering that sends nothing uses when none is chosen (preview, check, test send):
 * every common field filled, so a template reads as it will for a real contact.
 */
export const SAMPLE_CONTACT = {
  id: "sample",
  email: "jeanne.martin@example.com",
  firstName: "Jeanne",
  lastName: "Martin",
  phone: null,
  timezone: "Europe/Paris",
  tags: "[]",
  attributes: "{}",
  status: "active",
  score: 0,
  validationScore: null,
  deliverable: null,
} as unknown as ContactRow;
