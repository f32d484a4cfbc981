/**
 * Attachments: the files sent with messages, their limits (ATTACHMENTS_MAX_BYTES, ATTACHMENTS_ALLOWED_TYPES) and
 * safe downloads. A storage capability only: the conversations module (agents), webchat (visitors) and email
 * (inbound mail) own the routes and decide who may read what.
 */
export { attachmentLimitsOf, assertUploadAllowed, refusalOf, type RefusalReason } from './limits';
export {
  claimAttachments,
  linkAttachments,
  presentAttachment,
  readAttachment,
  readCustomerAttachment,
  readMessageAttachments,
  storeAttachment,
  storeMessageFiles,
  type IncomingFile,
  type AttachmentMetaRow,
  type NewAttachment,
  type Uploader,
  type UploaderKind,
} from './store';
export { contentDisposition, sendAttachment } from './download';
export { uploadedFile, withUploads } from './uploads';
