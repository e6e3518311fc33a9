extension Migrations {
    /// The same rule on attempt ids (1–128 characters), checked in constant time for the usual id: a length in bytes
    /// between 1 and 128 already means 1–128 characters, and only a longer multi-byte id needs its characters
    /// counted. Counting every id's characters was a few per cent of the ingest time.
    static let attemptIDChecksByBytesFirst = """
        ALTER TABLE attempts
            DROP CONSTRAINT attempts_user_id_check,
            DROP CONSTRAINT attempts_item_id_check,
            DROP CONSTRAINT attempts_topic_id_check,
            DROP CONSTRAINT attempts_session_id_check,
            ADD CONSTRAINT attempts_user_id_check
                CHECK (octet_length(user_id) BETWEEN 1 AND 128 OR char_length(user_id) BETWEEN 1 AND 128),
            ADD CONSTRAINT attempts_item_id_check
                CHECK (octet_length(item_id) BETWEEN 1 AND 128 OR char_length(item_id) BETWEEN 1 AND 128),
            ADD CONSTRAINT attempts_topic_id_check
                CHECK (octet_length(topic_id) BETWEEN 1 AND 128 OR char_length(topic_id) BETWEEN 1 AND 128),
            ADD CONSTRAINT attempts_session_id_check
                CHECK (octet_length(session_id) BETWEEN 1 AND 128 OR char_length(session_id) BETWEEN 1 AND 128);
        """
}
