import { useState } from 'react';
import { initials, publicFileUrl } from '../directory';

/** A company's logo, or its initials when it has none (or the file is not available). */
export function CompanyLogo({
  name,
  logo,
  size = 'small',
}: {
  name: string;
  logo?: string;
  size?: 'small' | 'large';
}) {
  const [failed, setFailed] = useState(false);
  const className = `company-logo company-logo--${size}`;
  if (logo && !failed) {
    return (
      <span className={className}>
        <img src={publicFileUrl(logo)} alt="" onError={() => setFailed(true)} />
      </span>
    );
  }
  return (
    <span className={`${className} company-logo--initials`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
