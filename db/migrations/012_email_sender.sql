-- What an organization's emails say about it (issue 22): the sender's display name, where replies go,
-- the postal address in every footer (CAN-SPAM, and what makes a network look real) and a logo above
-- the message. All optional: null means the organization name, no Reply-To, no address, no logo.

alter table organizations
  add column email_sender_name text check (char_length(email_sender_name) between 1 and 80),
  add column email_reply_to text check (char_length(email_reply_to) between 3 and 254),
  add column postal_address text check (char_length(postal_address) between 1 and 300),
  -- https only: an email client loads it from the supporter's device.
  add column logo_url text check (logo_url like 'https://%' and char_length(logo_url) <= 500);
