import { Controller, Header, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import multer from 'multer';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import type { Submission } from './models/submission.model.js';
import { SubmissionsService } from './submissions.service.js';

/** A termly return is a few MB zipped; anything much larger is not one. */
const MAX_UPLOAD_BYTES = 256 * 1024 ** 2;
const incoming = () => {
  const dir = `${os.tmpdir()}/rollbook-uploads`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
};

@Controller()
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  /**
   * `POST /uploads/returns` (multipart, field `file`: the return as a .zip). Needs the session's
   * `x-csrf-token` header like every change. Answers the load report, loaded or rejected.
   */
  @Post('uploads/returns')
  @Header('cache-control', 'no-store')
  @UseInterceptors(FileInterceptor('file', { storage: multer.diskStorage({ destination: (_req, _file, cb) => cb(null, incoming()) }), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  async uploadReturn(@CurrentAccess() access: RequestAccess, @UploadedFile() file: Express.Multer.File | undefined): Promise<{ submissions: Submission[] }> {
    return { submissions: await this.submissions.upload(access, file ? { path: file.path, originalName: file.originalname } : undefined) };
  }
}
