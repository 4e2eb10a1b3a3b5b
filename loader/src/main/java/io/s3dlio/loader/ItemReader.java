package io.s3dlio.loader;

import io.s3dlio.api.ObjectBytes;

/** How an epoch fetches one item (whole object, or through the range engine). */
@FunctionalInterface
interface ItemReader {
    ObjectBytes read(DatasetEntry entry) throws Exception;
}
